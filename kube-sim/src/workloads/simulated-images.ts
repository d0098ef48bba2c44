/**
 * What a container of a well-known image prints when it has no command of its own: a few startup
 * lines, then one line per second. Lines are pure functions of (start time, index), so logs of a
 * simulated container are computed when asked for and cost nothing while nobody looks.
 */

export interface SimulatedLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ImageProfile {
  /** Printed the moment the container starts. */
  startup(start: Date, podIP: string): SimulatedLine[];
  /** The n-th periodic line (n from 1), written `n` seconds after start. */
  tick(at: Date, n: number, podIP: string): string;
}

export const TICK_MS = 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx error-log time: `2024/05/01 12:00:00`. */
const nginxTime = (d: Date) =>
  `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
/** Common Log Format time: `01/May/2024:12:00:00 +0000`. */
const clfTime = (d: Date) =>
  `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
/** redis time: `01 May 2024 12:00:00.000`. */
const redisTime = (d: Date) =>
  `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`;

const lines = (texts: string[], stream: 'stdout' | 'stderr' = 'stdout'): SimulatedLine[] =>
  texts.map((text) => ({ stream, text: `${text}\n` }));

/** The kube-probe user agent of a current kubelet. */
const PROBE_AGENT = 'kube-probe/1.33';

const nginx: ImageProfile = {
  startup(start) {
    const t = nginxTime(start);
    return [
      ...lines([
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
        '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
        '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
        '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
      ]),
      ...lines(
        [
          `${t} [notice] 1#1: using the "epoll" event method`,
          `${t} [notice] 1#1: nginx/1.27.4`,
          `${t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14)`,
          `${t} [notice] 1#1: OS: Linux 6.1.0-27-cloud-amd64`,
          `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
          `${t} [notice] 1#1: start worker processes`,
          `${t} [notice] 1#1: start worker process 29`,
          `${t} [notice] 1#1: start worker process 30`,
        ],
        'stderr',
      ),
    ];
  },
  tick(time, _n, podIP) {
    const client = podIP.replace(/\.\d+$/, '.1');
    return `${client} - - [${clfTime(time)}] "GET / HTTP/1.1" 200 615 "-" "${PROBE_AGENT}" "-"`;
  },
};

const httpd: ImageProfile = {
  startup(start) {
    const t = start.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5.000000 $4');
    return lines(
      [
        "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10.244.0.1. Set the 'ServerName' directive globally to suppress this message",
        `[${t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.63 (Unix) configured -- resuming normal operations`,
        `[${t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`,
      ],
      'stderr',
    );
  },
  tick(time, _n, podIP) {
    return `${podIP.replace(/\.\d+$/, '.1')} - - [${clfTime(time)}] "GET / HTTP/1.1" 200 45`;
  },
};

const redis: ImageProfile = {
  startup(start) {
    const t = redisTime(start);
    return lines([
      `1:C ${t} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
      `1:C ${t} * Redis version=7.4.2, bits=64, commit=00000000, modified=0, pid=1, just started`,
      `1:C ${t} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
      `1:M ${t} * monotonic clock: POSIX clock_gettime`,
      `1:M ${t} * Running mode=standalone, port=6379.`,
      `1:M ${t} * Server initialized`,
      `1:M ${t} * Ready to accept connections tcp`,
    ]);
  },
  tick(time, n) {
    return `1:M ${redisTime(time)} - Accepted 10.244.0.1:${40000 + (n % 20000)} (conn=${n}, PING)`;
  },
};

const postgres: ImageProfile = {
  startup(start) {
    const t = `${start.toISOString().slice(0, 23).replace('T', ' ')} UTC`;
    return lines([
      '',
      'PostgreSQL Database directory appears to contain a database; Skipping initialization',
      '',
      `${t} [1] LOG:  starting PostgreSQL 17.4 (Debian 17.4-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`,
      `${t} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`,
      `${t} [1] LOG:  listening on IPv6 address "::", port 5432`,
      `${t} [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"`,
      `${t} [29] LOG:  database system was shut down at ${t}`,
      `${t} [1] LOG:  database system is ready to accept connections`,
    ]);
  },
  tick(time, n) {
    return `${time.toISOString().slice(0, 23).replace('T', ' ')} UTC [${100 + (n % 900)}] LOG:  connection received: host=10.244.0.1 port=${40000 + (n % 20000)}`;
  },
};

const shell: ImageProfile = {
  startup: () => [],
  tick: (time, n) => `${time.toISOString()} heartbeat ${n}`,
};

function generic(image: string): ImageProfile {
  const name = image.replace(/^.*\//, '').replace(/[:@].*$/, '');
  return {
    startup(start) {
      const t = start.toISOString();
      return lines([
        `${t} INFO starting ${name}`,
        `${t} INFO configuration loaded`,
        `${t} INFO listening on :8080`,
      ]);
    },
    tick: (time, n) => `${time.toISOString()} INFO ${name} heartbeat ${n}: healthy`,
  };
}

const PROFILES: Record<string, ImageProfile> = {
  nginx,
  httpd,
  redis,
  postgres,
  busybox: shell,
  alpine: shell,
  ubuntu: shell,
  debian: shell,
};

/** `registry.example.com:5000/team/nginx:1.27@sha256:...` → `nginx`. */
function imageBase(image: string): string {
  const repo = image.replace(/@.*$/, '').replace(/:[^/]*$/, '');
  return repo.slice(repo.lastIndexOf('/') + 1);
}

export function imageProfile(image: string): ImageProfile {
  return PROFILES[imageBase(image)] ?? generic(image);
}

/**
 * Programs the real images do not ship though the machine kube-sim runs on has them: busybox and
 * alpine have only BusyBox's `sh`, so `kubectl exec … -- bash` fails there as it does on a cluster
 * (shell pickers that try bash, then sh, need an image where the fallback happens).
 */
const MISSING_PROGRAMS: Record<string, readonly string[]> = {
  busybox: ['bash'],
  alpine: ['bash'],
};

/** Whether `image` lacks the program `file` (a name or a path: its last part decides). */
export function imageLacks(image: string, file: string): boolean {
  const program = file.slice(file.lastIndexOf('/') + 1);
  return MISSING_PROGRAMS[imageBase(image)]?.includes(program) ?? false;
}
