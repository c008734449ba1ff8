import { sharedConfig } from '../../vitest.shared.js';

// The browser tests build a site and drive headless Chromium: allow a minute.
export default sharedConfig({ testTimeout: 60_000 });
