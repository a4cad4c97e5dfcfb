/** Just enough of a Dockerfile parser for layout checks: stages and their instructions. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name?: string;
  base: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line) as RegExpExecArray;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, base, name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) as RegExpExecArray;
      stages.push({ base, name, instructions: [] });
    } else if (stages.length) {
      stages[stages.length - 1].instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

export function copies(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const words = i.args.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((w) => !w.startsWith('--'));
      return { from, sources: paths.slice(0, -1), dest: paths[paths.length - 1] };
    });
}

/** The shell command(s) CMD runs: exec form `["sh", "-c", "..."]` gives the script, else the words joined. */
export function commandLine(stage: Stage): string | undefined {
  const cmd = [...stage.instructions].reverse().find((i) => i.keyword === 'CMD');
  if (!cmd) return undefined;
  if (!cmd.args.startsWith('[')) return cmd.args;
  const words = JSON.parse(cmd.args) as string[];
  return words[0] === 'sh' && words[1] === '-c' ? words[2] : words.join(' ');
}

export function workdir(stage: Stage): string {
  return [...stage.instructions].reverse().find((i) => i.keyword === 'WORKDIR')?.args ?? '/';
}
