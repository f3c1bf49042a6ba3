/**
 * The registry: every command, once, in the order --help lists them. The parser, --help, the
 * unknown-command message and the dispatcher all read this list, so a command added here is
 * complete and one left out does not exist.
 */
import type { Command } from '../command';
import { caCertCommand } from './ca-cert';
import { caSignCommand } from './ca-sign';
import { csrImportCertCommand } from './csr-import-cert';
import { csrNewCommand } from './csr-new';
import { csrShowCommand } from './csr-show';
import { deleteCommand } from './delete';
import { doctorCommand } from './doctor';
import { editCommand } from './edit';
import { exportCommand } from './export';
import { historyCommand } from './history';
import { importCommand } from './import';
import { initCommand } from './init';
import { listCommand } from './list';
import { refreshCommand } from './refresh';
import { renewCommand } from './renew';
import { rollbackCommand } from './rollback';
import { rotateCommand } from './rotate';
import { settingsApplyCommand } from './settings-apply';
import { settingsRemoveCommand } from './settings-remove';
import { settingsShowCommand } from './settings-show';
import { statusCommand } from './status';
import { switchCommand } from './switch';
import { trustSnippetCommand } from './trust-snippet';

export const COMMANDS: readonly Command[] = [
  initCommand,
  statusCommand,
  renewCommand,
  rotateCommand,
  refreshCommand,
  switchCommand,
  rollbackCommand,
  listCommand,
  historyCommand,
  editCommand,
  deleteCommand,
  csrNewCommand,
  csrImportCertCommand,
  csrShowCommand,
  caSignCommand,
  caCertCommand,
  exportCommand,
  importCommand,
  doctorCommand,
  settingsApplyCommand,
  settingsShowCommand,
  settingsRemoveCommand,
  trustSnippetCommand,
];
