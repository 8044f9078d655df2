// Demo extension for the e2e harness: answers every hover in a YAML file with "demo hover".
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider('yaml', {
      provideHover() {
        return new vscode.Hover('demo hover');
      },
    }),
  );
}

module.exports = { activate };
