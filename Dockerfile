# osproxy — the production image: `docker build -t osproxy .`, then
#   docker run -p 9200:9200 -v /etc/osproxy:/etc/osproxy:ro -e OSPROXY_CURSOR_KEY=… osproxy
# with the configuration in /etc/osproxy/osproxy.yaml (see docs/osproxy.example.yaml and
# docs/configuration.md; relative paths in it are relative to /etc/osproxy). The health check
# calls /_osproxy/health on a loopback HTTP listener, 127.0.0.1:9280, which the configuration
# must list (the example does) — the public listener may be HTTPS with client certificates.
FROM node:20-slim

ENV NODE_ENV=production
WORKDIR /opt/osproxy

# Dependencies first (a layer that changes only with the lockfile); no dev dependencies.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY bin ./bin
COPY src ./src
# The CLI bundled to plain JavaScript (esbuild, a runtime dependency): no TypeScript loader at run time.
RUN npm run build

USER node
EXPOSE 9200
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9280/_osproxy/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains in-flight requests (bounded) before exiting; SIGHUP re-reads the configuration.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/main.js"]
CMD ["serve", "--config", "/etc/osproxy/osproxy.yaml"]
