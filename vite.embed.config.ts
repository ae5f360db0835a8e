/**
 * The host SDK as one self-contained ES module, `dist/embed.js`, beside the app:
 * portals import it from our deployment (see docs/embedding.md).
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    emptyOutDir: false,
    target: 'es2020',
    lib: { entry: 'src/embed/sdk.ts', formats: ['es'], fileName: () => 'embed.js' },
  },
});
