import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class WebhookMetaApi implements ICredentialType {
	name = 'webhookMetaApi';

	displayName = 'Webhook Gateway Meta App API';

	icon = { light: 'file:webhookGateway.svg', dark: 'file:webhookGateway.dark.svg' } as const;

	documentationUrl = 'https://github.com/webhook-gateway/n8n-nodes-webhook-gateway/blob/main/docs/authentication.md#meta-whatsapp-messenger-instagram';

	properties: INodeProperties[] = [
		{
			displayName: 'Verify Token',
			name: 'verifyToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Any string; enter the same value as Verify Token in the Meta App webhook settings',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Meta App > Settings > Basic > App Secret; signs every POST (X-Hub-Signature-256)',
		},
		{
			displayName: 'Previous App Secret',
			name: 'previousAppSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'While rotating: the old app secret, still accepted (verification.secret = previous)',
		},
	];
}
