import { installN8n, N8nInstallError } from './n8n';
import { selectedVersions } from './versions';

/**
 * Jest globalSetup of the e2e project (runs only when e2e tests are selected): installs the n8n
 * lines of N8N_E2E_VERSIONS once, before any test file starts, instead of once per file. A failed
 * install aborts the whole run with one message; install-n8n.sh has printed the details above it.
 */
export default async function globalSetup(): Promise<void> {
	try {
		await installN8n(selectedVersions());
	} catch (error) {
		// Jest prints a thrown error with its stack: keep the message, the stack says nothing here.
		if (error instanceof N8nInstallError) error.stack = `${error.name}: ${error.message}`;
		throw error;
	}
}
