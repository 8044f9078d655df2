import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { applyParseModeFromEnv } from '../node/parseMode';
import { KubeTrafficServer } from './server';

applyParseModeFromEnv();

// The transport (--stdio, --node-ipc, --socket=N) is chosen from the command line by vscode-languageserver.
const connection = createConnection(ProposedFeatures.all);
// A bug must cost one answer, not the server: log what escaped and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`Kube Traffic: unexpected error: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`Kube Traffic: unexpected error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
new KubeTrafficServer(connection).listen();
