/** `rotate`: a new key and certificate (the tray's "Rotate certificate"). */
import { generationCommand } from '../options';

export const rotateCommand = generationCommand('rotate', 'new key and certificate', (service, profile) => service.rotate(profile));
