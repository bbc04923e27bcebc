// What `vmtui ssh` runs and what `vmtui ssh-config` prints, from the helper's vm/sshInfo.
// Pure functions, so tests check the exact argv and text.

/** The facts vm/sshInfo gives (PROTOCOL.md "Guest access"). */
export interface SshTarget {
  name: string;
  host: string;
  port: number;
  user: string;
  identityFile?: string;
  knownHostsFile: string;
}

/** The `-o` options both ssh and the config block use: the VM's own known_hosts, new keys accepted once. */
function sharedOptions(t: SshTarget): Array<[string, string]> {
  const options: Array<[string, string]> = [];
  if (t.identityFile) options.push(['IdentitiesOnly', 'yes']);
  options.push(['UserKnownHostsFile', t.knownHostsFile], ['StrictHostKeyChecking', 'accept-new']);
  return options;
}

/** ssh's arguments (after the program name). `command` runs instead of a login shell, as with ssh. */
export function sshArgv(t: SshTarget, command: string[] = []): string[] {
  const argv = ['-p', String(t.port)];
  if (t.identityFile) argv.push('-i', t.identityFile);
  for (const [key, value] of sharedOptions(t)) argv.push('-o', `${key}=${value}`);
  // No "Warning: Permanently added …" on the first connection to a new VM.
  argv.push('-o', 'LogLevel=ERROR');
  argv.push(`${t.user}@${t.host}`);
  if (command.length > 0) argv.push('--', ...command);
  return argv;
}

/** The Host alias ssh-config prints: prefixed, so it never shadows a real host of the same name. */
export function sshHostAlias(name: string): string {
  return `vmtui-${name}`;
}

function configValue(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replaceAll('"', '\\"')}"` : value;
}

/** A `Host` block for ~/.ssh/config. */
export function sshConfigText(t: SshTarget): string {
  const lines = [
    `# VM '${t.name}' (vmtui); connect with: ssh ${sshHostAlias(t.name)}`,
    `Host ${sshHostAlias(t.name)}`,
    `  HostName ${t.host}`,
    `  Port ${t.port}`,
    `  User ${configValue(t.user)}`,
  ];
  if (t.identityFile) lines.push(`  IdentityFile ${configValue(t.identityFile)}`);
  for (const [key, value] of sharedOptions(t)) lines.push(`  ${key} ${configValue(value)}`);
  return lines.join('\n') + '\n';
}
