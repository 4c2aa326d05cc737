import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class WebhookHeaderAuthApi implements ICredentialType {
	name = 'webhookHeaderAuthApi';

	displayName = 'Webhook Gateway Header Token API';

	icon = { light: 'file:webhookGateway.svg', dark: 'file:webhookGateway.dark.svg' } as const;

	documentationUrl = 'https://github.com/webhook-gateway/n8n-nodes-webhook-gateway/blob/main/docs/authentication.md#custom-header';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-Webhook-Token',
			required: true,
			description: 'Name of the request header that carries the token (case-insensitive)',
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
