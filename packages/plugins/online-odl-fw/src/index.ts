import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { onlineOdlFwSolver } from './solvers/online-odl-fw.js';

export { onlineOdlFw, onlineOdlFwSolver, OnlineOdlFwParams, OnlineOdlFw, polarFactor, type OnlineOdlFwOptions } from './solvers/online-odl-fw.js';
export { claims } from './claims.js';

/** Online Orthogonal Dictionary Learning Based on Frank-Wolfe Method (Xue & Lau, 2021). */
export default definePlugin({
  name: 'online-odl-fw',
  paper: { title: 'Online Orthogonal Dictionary Learning Based on Frank-Wolfe Method', date: '2021-03', url: 'https://arxiv.org/abs/2103.01484' },
  solvers: [onlineOdlFwSolver],
  claims,
});
