import type { INodeCredentialDescription, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ChatChannel, ChatContactType } from './store/chats';
import type { CustomerField } from './store/customers';

/** The store selector shared by Customer Bind and Chat Bind: both must point at the same data. */
export const storeProperty: INodeProperties = {
	displayName: 'Store',
	name: 'store',
	type: 'options',
	options: [
		{
			name: 'Default (No Credential)',
			value: 'embedded',
			description:
				"When n8n runs on PostgreSQL (always in queue mode): n8n's database, in a schema of its own. Otherwise a SQLite file beside n8n's own database (needs Node.js 22.13+), shared by the n8n processes of that host.",
		},
		{
			name: 'PostgreSQL',
			value: 'postgres',
			description: 'A PostgreSQL server of your choice, named by a credential',
		},
	],
	default: 'embedded',
};

export const embeddedFolderOption: INodeProperties = {
	displayName: 'Embedded Data Folder',
	name: 'embeddedFolder',
	type: 'string',
	default: '',
	placeholder: '~/.n8n',
	description:
		'Folder of the SQLite file (webhook-gateway.sqlite) when n8n runs on SQLite. Empty: beside n8n\'s own database. A folder given here must be allowed by n8n\'s file-access rules (N8N_RESTRICT_FILE_ACCESS_TO, N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES) and be on a local disk. Customer Bind and Chat Bind must use the same folder.',
};

const defaultCountryOption: INodeProperties = {
	displayName: 'Default Phone Country',
	name: 'defaultCountry',
	type: 'string',
	default: 'US',
	placeholder: 'BR',
	description: 'ISO 3166 country code for phone numbers written without a +country prefix (e.g. BR, US, PT)',
};

/** The Options collection of Customer Bind and Chat Bind; Webhook Deliveries keeps only the folder. */
export const storeOptionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [defaultCountryOption, embeddedFolderOption],
};

/** What Customer Bind and Chat Bind call the store's channels, contact types and customer fields. */
export const contactNames: Record<ChatChannel | ChatContactType | CustomerField, string> = {
	custom: 'Custom',
	document: 'Document',
	email: 'Email',
	instagram: 'Instagram',
	messenger: 'Messenger',
	name: 'Name',
	phone: 'Phone',
	sms: 'Phone / SMS',
	telegram: 'Telegram',
	webchat: 'Web Chat',
	whatsapp: 'WhatsApp',
};

/** The values the store accepts as an options list, sorted by name as n8n lists options. */
export function valueOptions<V extends string>(values: readonly V[], names: Record<V, string>): INodePropertyOptions[] {
	return values.map((value) => ({ name: names[value], value })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The PostgreSQL store's credential (`webhookGatewayPostgresApi`), as every node lists it: needed only when Store is PostgreSQL,
 * tested by connecting (storeAccess.ts, webhookGatewayPostgresConnectionTest, named by each node).
 */
export const postgresStoreCredential: Omit<INodeCredentialDescription, 'name' | 'testedBy'> = {
	required: true,
	displayOptions: { show: { store: ['postgres'] } },
};
