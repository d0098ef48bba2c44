/**
 * When a shell command did not start because the image lacks it, so the next one is worth trying
 * (bash, then sh). The container runtime says so in the exec's final Status before any output:
 * runc's "executable file not found in $PATH" or "no such file or directory" (containerd, CRI-O),
 * or the shell's own exit codes 126 (not executable) and 127 (not found) when a wrapper ran it.
 */
export interface ExecEnd {
  code: number;
  message?: string;
}

const NOT_IN_IMAGE = /executable file not found|no such file or directory|not found in \$PATH/i;

export function commandWasMissing(end: ExecEnd, sawOutput: boolean): boolean {
  if (sawOutput) return false;
  return end.code === 126 || end.code === 127 || NOT_IN_IMAGE.test(end.message ?? '');
}
