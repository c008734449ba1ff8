import { test } from 'vitest';
import { eigenvectorStreaming, generateInstance, nrm2 } from '../../src/index.js';
test('dbg', () => {
  const inst = generateInstance(eigenvectorStreaming, { T: 3000, n: 20, gap: 0.3, maxBatch: 1000 }, [1]);
  const { A, v1 } = inst.truth;
  const n = 20;
  let z = new Float64Array(n).fill(1);
  for (let b = 0; b < 6; b++) {
    const y = new Float64Array(n);
    for (let t = b * 500; t < (b + 1) * 500; t++) {
      let az = 0;
      for (let j = 0; j < n; j++) az += A.data[t * n + j] * z[j];
      for (let j = 0; j < n; j++) y[j] += az * A.data[t * n + j];
    }
    const s = nrm2(y);
    z = y.map((v) => v / s);
    let d = 0; for (let j = 0; j < n; j++) d += z[j] * v1[j];
    console.log(b, d * d, s, inst.truth.lambda);
  }
});
