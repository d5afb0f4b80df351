import { existsSync } from 'node:fs';
import { beforeAll, expect } from '@jest/globals';
import { join } from 'node:path';
import { loadResponseContract, type ResponseContract } from './openapi-responses';
import { checkSupertestResponses } from './supertest-openapi';

/**
 * setupFilesAfterEnv of the service project: a test file under apps/<app>/ (or under
 * hostile/test/service/<app>/, the hostile-client tests kept together) has every supertest
 * response checked against apps/<app>/openapi.yaml (status documented for the operation,
 * content type, body schema). Other test files are not checked.
 */
const testPath = expect.getState().testPath ?? '';
const app = /[/\\](?:apps|hostile[/\\]test[/\\]service)[/\\]([^/\\]+)[/\\]/.exec(testPath)?.[1];
const yamlPath = app ? join(__dirname, '..', '..', '..', '..', 'apps', app, 'openapi.yaml') : undefined;

let contract: ResponseContract | undefined;
if (yamlPath && existsSync(yamlPath)) {
  beforeAll(() => {
    contract = loadResponseContract(yamlPath);
  });
  checkSupertestResponses(() => contract);
}
