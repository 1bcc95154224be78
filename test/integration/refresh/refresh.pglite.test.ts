// The live refresh on PGlite; the suite is in refresh.suite.ts.
import { describeOnBackend } from '../../support/db';
import { refreshSuite } from './refresh.suite';

describeOnBackend('pglite', 'refresh', refreshSuite);
