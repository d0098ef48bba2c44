/** The agent process's own footprint for heartbeats: CPU (in cores) since the last sample, and RSS. */

export interface ProcessUsage {
  /** Average cores used since the previous sample (or since the sampler was made). */
  cpuCores: number;
  memoryBytes: number;
}

export class ProcessUsageSampler {
  #lastCpu: NodeJS.CpuUsage;
  #lastWall: bigint;

  constructor() {
    this.#lastCpu = process.cpuUsage();
    this.#lastWall = process.hrtime.bigint();
  }

  sample(): ProcessUsage {
    const cpu = process.cpuUsage();
    const wall = process.hrtime.bigint();
    const cpuMicros = cpu.user - this.#lastCpu.user + (cpu.system - this.#lastCpu.system);
    const wallMicros = Number(wall - this.#lastWall) / 1000;
    this.#lastCpu = cpu;
    this.#lastWall = wall;
    const cores = wallMicros > 0 ? Math.max(0, cpuMicros) / wallMicros : 0;
    return { cpuCores: Math.round(cores * 1000) / 1000, memoryBytes: process.memoryUsage.rss() };
  }
}
