// Minimal types for the parts of autocannon the bench uses (the package ships none).
declare module 'autocannon' {
  interface Request { method?: string; path: string; headers?: Record<string, string>; body?: string; setupRequest?: unknown }
  interface Options { url: string; connections?: number; duration?: number; requests?: Request[] }
  interface Result { requests: { total: number; average: number }; non2xx: number; errors: number; duration: number }
  interface Instance extends PromiseLike<Result> {
    on(event: 'response', cb: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void
  }
  function autocannon(opts: Options): Instance
  export default autocannon
}
