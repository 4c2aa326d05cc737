import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class WebhookQueryAuthApi implements ICredentialType {
	name = 'webhookQueryAuthApi';

	displayName = 'Webhook Gateway Query Token API';

	icon = { light: 'file:webhookGateway.svg', dark: 'file:webhookGateway.dark.svg' } as const;

	documentationUrl = 'https://github.com/webhook-gateway/n8n-nodes-webhook-gateway/blob/main/docs/authentication.md#query-parameter';

	properties: INodeProperties[] = [
		{
			displayName: 'Parameter Name',
			name: 'parameterName',
			type: 'string',
			default: 'token',
			required: true,
			description: 'Name of the query parameter that carries the token, as in <code>?token=…</code>',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
	];
}
