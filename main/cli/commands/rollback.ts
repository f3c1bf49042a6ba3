/** `rollback`: the previous generation becomes current again. */
import { generationCommand } from '../options';

export const rollbackCommand = generationCommand('rollback', 'make the previous generation current again', (service, profile) => service.rollback(profile));
