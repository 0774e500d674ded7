import { runLicenseCli } from './license-cli.js';

process.exitCode = runLicenseCli(process.argv.slice(2), (line) => console.log(line));
