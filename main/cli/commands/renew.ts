/** `renew`: the same key, a new certificate. */
import { generationCommand } from '../options';

export const renewCommand = generationCommand('renew', 'same key, new certificate', (service, profile) => service.renew(profile));
