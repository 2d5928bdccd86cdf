// Plain results of checking, shared by check.ts and the modules it calls (so none of them imports check.ts back).
import type { Environment } from '../chart/environments';
import type { Effective } from '../helm/effective';
import type { ValuesDocument } from '../yaml/valuesDocument';

export interface EnvironmentResult {
  environment: Environment;
  effective?: Effective;
  files: ValuesDocument[];
}
