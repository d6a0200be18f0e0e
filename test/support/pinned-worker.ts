/** A worker_thread that pins and names itself, then reports what the kernel says about it. */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { gettid, schedGetaffinity, schedSetaffinity, setThreadName, setThreadNice } from '../../native/syscalls.js';

const { cpus, nice, name } = workerData as { cpus: number[]; nice: number; name: string };
schedSetaffinity(0, cpus);
setThreadNice(0, nice);
setThreadName(name);
const tid = gettid();
const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
parentPort!.postMessage({
  tid,
  affinity: schedGetaffinity(0),
  comm: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(),
  nice: Number(fields[16]),
  // field 39 of stat (processor): the CPU the thread last ran on
  lastCpu: Number(fields[36]),
});
