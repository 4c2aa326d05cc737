import { N8nInstance } from './harness/n8n';
import { docShBlocks, runDocBlock } from './harness/readme';
import { selectedVersions } from './harness/versions';
import { noOp, nodeType, workflow } from './harness/workflow';

jest.setTimeout(300_000);

/** The `sh` blocks under each "## <scheme>" heading of docs/authentication.md. */
const readmeExamples = () => docShBlocks('docs/authentication.md', '##');

interface Example {
	heading: string;
	block: number;
	path: string;
	authentication: string;
	credential?: { type: string; data: Record<string, string> };
	env: Record<string, string>;
	/** Executions the block must start (a handshake starts none). */
	executions: number;
}

const examples: Example[] = [
	{ heading: 'Public (none)', block: 0, path: 'readme-public', authentication: 'none', env: {}, executions: 1 },
	{
		heading: 'Bearer token',
		block: 0,
		path: 'readme-bearer',
		authentication: 'bearer',
		credential: { type: 'webhookBearerAuthApi', data: { token: 'readme-bearer-token' } },
		env: { TOKEN: 'readme-bearer-token' },
		executions: 1,
	},
	{
		heading: 'Custom header',
		block: 0,
		path: 'readme-header',
		authentication: 'header',
		credential: { type: 'webhookHeaderAuthApi', data: { headerName: 'X-Webhook-Token', token: 'readme-header-token' } },
		env: { TOKEN: 'readme-header-token' },
		executions: 1,
	},
	{
		heading: 'Query parameter',
		block: 0,
		path: 'readme-query',
		authentication: 'query',
		credential: { type: 'webhookQueryAuthApi', data: { parameterName: 'token', token: 'readme-query-token' } },
		env: { TOKEN: 'readme-query-token' },
		executions: 1,
	},
	{
		heading: 'HMAC signature',
		block: 0,
		path: 'readme-hmac',
		authentication: 'hmac',
		credential: {
			type: 'webhookHmacApi',
			data: { secret: 'readme-hmac', algorithm: 'sha256', source: 'header', parameterName: 'X-Signature', encoding: 'hex', prefix: 'sha256=' },
		},
		env: { SECRET: 'readme-hmac' },
		executions: 1,
	},
	{
		heading: 'HMAC signature',
		block: 1,
		path: 'readme-kiwify',
		authentication: 'hmac',
		credential: {
			type: 'webhookHmacApi',
			data: { secret: 'readme-kiwify', algorithm: 'sha1', source: 'query', parameterName: 'signature', encoding: 'hex', prefix: '' },
		},
		env: { SECRET: 'readme-kiwify' },
		executions: 1,
	},
	{
		heading: 'Slack',
		block: 0,
		path: 'readme-slack',
		authentication: 'slack',
		credential: { type: 'webhookSlackApi', data: { signingSecret: 'readme-slack-secret' } },
		env: { SECRET: 'readme-slack-secret' },
		executions: 1,
	},
	{
		heading: 'Meta (WhatsApp, Messenger, Instagram)',
		block: 0,
		path: 'readme-meta',
		authentication: 'meta',
		credential: { type: 'webhookMetaApi', data: { verifyToken: 'readme-verify', appSecret: 'readme-app-secret' } },
		env: { VERIFY_TOKEN: 'readme-verify', APP_SECRET: 'readme-app-secret' },
		executions: 1,
	},
];

const credentials = examples
	.filter((e) => e.credential)
	.map((e, i) => ({ id: `readmeCred${String(i).padStart(6, '0')}`, name: e.path, ...e.credential! }));

const workflows = examples.map((e, i) => {
	const credential = credentials.find((c) => c.name === e.path);
	return workflow(
		`readmeWf${String(i).padStart(8, '0')}`,
		{
			name: 'Trigger',
			type: nodeType('webhookTrigger'),
			parameters: { path: e.path, authentication: e.authentication },
			credentials: credential ? { [credential.type]: { id: credential.id, name: credential.name } } : undefined,
		},
		[noOp('Out')],
		{ Trigger: [['Out']] },
	);
});

describe.each(selectedVersions().map((v) => [`n8n ${v.n8n}`, v] as const))('docs/authentication.md examples in %s', (_label, version) => {
	let n8n: N8nInstance;
	const readme = readmeExamples();

	beforeAll(async () => {
		n8n = await N8nInstance.create(version, { credentials, workflows });
		await n8n.start(examples.map((e) => `/webhook/${e.path}`));
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	it.each(examples.map((e) => [`${e.heading} #${e.block + 1}`, e] as const))('%s works as written', async (_name, example) => {
		const script = readme.get(example.heading)?.[example.block];
		expect(script).toBeDefined();
		const since = await n8n.lastExecutionId();
		// A rejected example fails the run (curl fails on any HTTP error status).
		const stdout = await runDocBlock(script!, { URL: `${n8n.baseUrl}/webhook/${example.path}`, ...example.env });
		expect(stdout).not.toMatch(/"error"/);
		const executions = await n8n.waitForExecutions(since, example.executions);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
	});
});
