/**
 * @kil/shell: the lab terminal's command interpreter (Kafka's tools and lab controls).
 */
export { Shell, MAX_LINE_CHARS, EXIT_OK, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_INTERRUPTED } from './shell';
export type { ShellIO, ShellContext, LabControls, LabClients, LabClientInfo, LabTimeState, ConsumersRequest, ProducerRequest } from './types';
export type { Command, CommandEnv } from './command';
export { tokenize } from './tokenize';
export { LabFiles, LESSON_FILES, MAX_FILES, MAX_FILE_BYTES, type LabFileInfo } from './files';
