// The live refresh on PostgreSQL (TOMTE_TEST_PG_URL); the suite is in refresh.suite.ts.
import { describeOnBackend } from '../../support/db';
import { refreshSuite } from './refresh.suite';

describeOnBackend('postgres', 'refresh', refreshSuite);
