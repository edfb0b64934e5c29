/**
 * moto has no MWAA API: a small stand-in on 127.0.0.1 (free port, stopped by
 * the test) that answers GetEnvironment and CreateCliToken as the MWAA REST
 * API does, and records what is posted to the Airflow CLI endpoint, answering
 * with the output the test gives for each command. Every other request (S3)
 * is passed on unchanged to the moto server behind it, so one --endpoint-url
 * serves the whole deploy, as AWS does.
 */
import { createServer, request, type Server } from "node:http";
import { freePort } from "../support/ports.js";

export interface CliCall {
  authorization?: string;
  command: string;
}

export interface MwaaStub {
  url: string;
  cli: CliCall[];
  stop(): Promise<void>;
}

export async function startMwaaStub(
  motoUrl: string,
  environments: Record<string, Record<string, unknown>>,
  cliOutput: (command: string) => string = () => "",
): Promise<MwaaStub> {
  const port = await freePort();
  const cli: CliCall[] = [];
  let tokens = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString("utf8");
      const send = (status: number, value: unknown, errorType?: string) => {
        res.writeHead(status, { "Content-Type": "application/json", ...(errorType ? { "x-amzn-ErrorType": errorType } : {}) });
        res.end(JSON.stringify(value));
      };
      const path = decodeURIComponent((req.url ?? "").split("?")[0]);
      const env = /^\/environments\/([^/]+)$/.exec(path);
      const token = /^\/clitoken\/([^/]+)$/.exec(path);
      if (req.method === "GET" && env) {
        const e = environments[env[1]];
        if (!e) return send(404, { message: `Environment named ${env[1]} not found` }, "ResourceNotFoundException");
        return send(200, { Environment: { Name: env[1], ...e } });
      }
      if (req.method === "POST" && token) {
        if (!environments[token[1]]) return send(404, { message: `Environment named ${token[1]} not found` }, "ResourceNotFoundException");
        return send(200, { CliToken: `token-${++tokens}`, WebServerHostname: `127.0.0.1:${port}` });
      }
      if (req.method === "POST" && path === "/aws_mwaa/cli") {
        cli.push({ authorization: req.headers.authorization, command: body });
        return send(200, { stdout: Buffer.from(cliOutput(body)).toString("base64"), stderr: "" });
      }
      const to = new URL(motoUrl);
      const fwd = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      fwd.on("error", (e) => send(502, { message: String(e) }, "BadGateway"));
      fwd.end(raw);
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${port}`,
    cli,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
