import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class WebhookBearerAuthApi implements ICredentialType {
	name = 'webhookBearerAuthApi';

	displayName = 'Webhook Gateway Bearer Token API';

	icon = { light: 'file:webhookGateway.svg', dark: 'file:webhookGateway.dark.svg' } as const;

	documentationUrl = 'https://github.com/webhook-gateway/n8n-nodes-webhook-gateway/blob/main/docs/authentication.md#bearer-token';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Callers send it as <code>Authorization: Bearer &lt;token&gt;</code>',
		},
	];
}
