import { describe, expect, it } from 'vitest';
import { commandWasMissing } from '../../src/core/cluster-browser/shell-fallback.js';

describe('commandWasMissing: whether to try the next shell', () => {
  it('falls back when the runtime says the program is not in the image, before any output', () => {
    const runc =
      'Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "ab": OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown';
    expect(commandWasMissing({ code: 1, message: runc }, false)).toBe(true);
    expect(
      commandWasMissing(
        { code: 1, message: 'exec: "/bin/bash": stat /bin/bash: no such file or directory' },
        false,
      ),
    ).toBe(true);
    expect(commandWasMissing({ code: 127 }, false)).toBe(true);
    expect(commandWasMissing({ code: 126 }, false)).toBe(true);
  });

  it('does not fall back when the shell ran: it printed something, or it ended in its own way', () => {
    expect(commandWasMissing({ code: 127 }, true)).toBe(false);
    expect(commandWasMissing({ code: 0 }, false)).toBe(false);
    expect(commandWasMissing({ code: 1, message: 'command terminated with non-zero exit code' }, false)).toBe(
      false,
    );
  });
});
