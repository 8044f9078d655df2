import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { KubeTrafficServer } from './server';

// The transport (--stdio, --node-ipc, --socket=N) is chosen from the command line by vscode-languageserver.
const connection = createConnection(ProposedFeatures.all);
new KubeTrafficServer(connection).listen();
