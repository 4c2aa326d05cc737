import { runPresetSuite } from './presetSuite';
import { describeSvixPreset, svixCase } from './svix';

// Resend signs with Svix (./svix.ts). https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests
describeSvixPreset('resend');
runPresetSuite(svixCase('resend'));
