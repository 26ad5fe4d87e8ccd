# syntax=docker/dockerfile:1
# Ansvar as a container: build stage compiles TypeScript; the runtime stage has production dependencies only, runs as
# the unprivileged `node` user, keeps its data in /data (mount a volume or Azure Files there: one container per data
# directory with the embedded store) and reports readiness through GET /healthz.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core core
COPY data data
COPY services services
COPY cards cards
COPY bot bot
COPY scripts scripts
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3978 \
    HOST=0.0.0.0 \
    ANSVAR_DATA_DIR=/data \
    ANSVAR_SAMPLE_ON_EMPTY=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
# Read at run time from the project root: request policies, equipment catalogues, the sample register.
COPY data/catalogues data/catalogues
COPY data/policies data/policies
COPY data/sample data/sample
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The same options as `npm start` (package.json); exec form so SIGTERM reaches Node and Ansvar drains its turns.
CMD ["node", "--disable-warning=DEP0111", "--max-semi-space-size=8", "--heap-growing-percent=50", "dist/bot/server.js"]
