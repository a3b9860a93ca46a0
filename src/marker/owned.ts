/**
 * Marks a parameter that takes ownership of its argument: callers pass a plain `Value`, and the
 * `fearless/no-use-after-send` lint rule treats the argument binding as moved, so any later use
 * of it is reported (rustc's E0382). At the type level it is `Value` itself; the lint finds it
 * through the parameter's declared type.
 *
 * @example
 * ```ts
 * function enqueue(job: Owned<Job>) {}
 * enqueue(job);
 * job.id; // fearless/no-use-after-send: `job` was moved at 2:9 (passed as Owned<Job>)
 * // @ts-expect-error Owned adds no check of its own: what a Job rejects, Owned<Job> rejects
 * enqueue({ id: 'one' });
 * ```
 */
export type Owned<Value> = Value;
