// A worker thread that compiles schemas off the language server's main thread (bundled as dist/schemaWorker.js):
// on a chart's first open, ajv's compile of a large schema runs here while the main thread checks everything that
// needs no schema and publishes it. The worker reads the schema's local `$ref`s from disk and returns ajv's
// standalone code with its cache keys (also written to the disk cache); the main thread uses the code only when
// its own key matches (same schema text, same referenced documents), else it compiles itself. So the worker can
// speed up the first check but never change its result.
import { parentPort } from 'node:worker_threads';
import { compileSchema } from './schemaCompiler';
import { ValidatorCache } from './validatorCache';
import type { OffThreadJob, OffThreadResult } from './schemaOffThread';

parentPort?.on('message', (job: OffThreadJob) => {
  const disk = job.cacheDir !== undefined ? new ValidatorCache({ dir: job.cacheDir, ...job.limits }) : undefined;
  const results: OffThreadResult[] = [];
  for (const s of job.schemas) {
    compileSchema(s.file, {
      defaultDraft: s.defaultDraft,
      baseDir: s.baseDir,
      validatorCache: {
        has: () => false,
        read: () => undefined,
        write: (preKey, key, code) => {
          disk?.write(preKey, key, code);
          results.push({ preKey, key, code });
        },
        readCodeCache: () => undefined,
        writeCodeCache: () => undefined,
      },
    });
  }
  parentPort?.postMessage(results);
});
