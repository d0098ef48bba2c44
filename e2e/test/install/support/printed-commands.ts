/**
 * The commands a person is shown, read from the texts that show them, so that a command added to
 * a text later is run too: the README's `sh` code blocks, and the demo's instructions (commands on
 * lines of their own, indented by two spaces, under a line ending in ':').
 */

/** Commands typed one after another in one terminal; `a && b` counts as two. */
export interface CommandGroup {
  /** Where the commands were read, for failure messages. */
  source: string;
  commands: string[];
}

/**
 * One group per `sh` block: its lines (a trailing `\` continues a line), without `#` lines (comments
 * and sample output) and trailing `  # …` comments.
 */
export function readmeCommandGroups(markdown: string, source: string): CommandGroup[] {
  const groups: CommandGroup[] = [];
  for (const [, body] of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const lines = body!.replace(/\\\n\s*/g, ' ').split('\n');
    const commands = lines
      .filter((line) => !line.trimStart().startsWith('#'))
      .map((line) => line.replace(/\s+# .*$/, '').trim())
      .filter((line) => line !== '')
      .flatMap(splitAndList);
    groups.push({ source: `${source}, block ${groups.length + 1}`, commands });
  }
  return groups;
}

/** One group per paragraph of indented lines under a line ending in ':' (blank lines may come between). */
export function demoCommandGroups(output: string, source: string): CommandGroup[] {
  const groups: CommandGroup[] = [];
  let commands: string[] | undefined;
  const close = () => {
    if (commands?.length) groups.push({ source: `${source}, group ${groups.length + 1}`, commands });
    commands = undefined;
  };
  for (const line of output.split('\n')) {
    if (line.trim() === '') {
      if (commands?.length) close();
    } else if (commands && /^ {2}\S/.test(line)) {
      commands.push(...splitAndList(line.trim()));
    } else {
      close();
      if (line.trimEnd().endsWith(':')) commands = [];
    }
  }
  close();
  return groups;
}

function splitAndList(line: string): string[] {
  return line.split(' && ').map((command) => command.trim());
}
