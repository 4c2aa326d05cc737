import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** The store selector shared by Customer Bind and Chat Bind: both must point at the same data. */
export const storeProperty: INodeProperties = {
	displayName: 'Store',
	name: 'store',
	type: 'options',
	options: [
		{
			name: 'Embedded (No Server)',
			value: 'embedded',
			description: 'PGlite database in a folder under the n8n user folder; single n8n process only',
		},
		{
			name: 'PostgreSQL',
			value: 'postgres',
			description: 'Your PostgreSQL server; required for n8n queue mode (several processes)',
		},
	],
	default: 'embedded',
};

export const embeddedFolderOption: INodeProperties = {
	displayName: 'Embedded Data Folder',
	name: 'embeddedFolder',
	type: 'string',
	default: '',
	placeholder: '~/.n8n/webhook-gateway',
	description:
		'Folder of the embedded database, used by one n8n process only. Empty: "webhook-gateway" inside the n8n user folder. A folder given here must be allowed by n8n\'s file-access rules (N8N_RESTRICT_FILE_ACCESS_TO, N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES) and be empty or hold a store. Customer Bind and Chat Bind must use the same folder.',
};

export const defaultCountryOption: INodeProperties = {
	displayName: 'Default Phone Country',
	name: 'defaultCountry',
	type: 'string',
	default: 'US',
	placeholder: 'BR',
	description: 'ISO 3166 country code for phone numbers written without a +country prefix (e.g. BR, US, PT)',
};

/**
 * The PostgreSQL store's credential (`webhookGatewayPostgresApi`), as every node lists it: needed only when Store is PostgreSQL,
 * tested by connecting (storeAccess.ts, webhookGatewayPostgresConnectionTest, named by each node).
 */
export const postgresStoreCredential: Omit<INodeCredentialDescription, 'name' | 'testedBy'> = {
	required: true,
	displayOptions: { show: { store: ['postgres'] } },
};
