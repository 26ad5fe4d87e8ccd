import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';

/**
 * The deployment kit checked offline (the Bicep CLI is not in the npm registry and no test may reach the internet):
 * the Bicep files' wiring (modules exist, every module parameter passed is declared and every required one passed,
 * secrets are @secure, no MultiTenant bot), the Agents Toolkit project against infra/ and env/, and the Dockerfile's
 * production shape. The image itself is not built here: its base image would come from the internet.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface BicepParam {
  name: string;
  hasDefault: boolean;
  secure: boolean;
}

function bicepParams(text: string): BicepParam[] {
  const lines = text.split('\n');
  const params: BicepParam[] = [];
  lines.forEach((line, index) => {
    const match = /^param (\w+) \w+( = .+)?$/.exec(line);
    if (!match) return;
    let secure = false;
    for (let i = index - 1; i >= 0 && lines[i]!.startsWith('@'); i--)
      if (lines[i] === '@secure()') secure = true;
    params.push({ name: match[1]!, hasDefault: match[2] !== undefined, secure });
  });
  return params;
}

/** Each `module x 'path' = ... { ... params: { key: ... } }` of a Bicep file: its path and the parameter names passed. */
function bicepModules(text: string): { name: string; file: string; passed: string[] }[] {
  const modules: { name: string; file: string; passed: string[] }[] = [];
  const pattern = /^module (\w+) '([^']+)' = [^{]*\{\n([\s\S]*?)^\}/gm;
  for (const match of text.matchAll(pattern)) {
    const body = match[3]!;
    const params = /^ {2}params: \{\n([\s\S]*?)^ {2}\}/m.exec(body);
    const passed = params ? [...params[1]!.matchAll(/^ {4}(\w+):/gm)].map((m) => m[1]!) : [];
    modules.push({ name: match[1]!, file: match[2]!, passed });
  }
  return modules;
}

function bicepOutputs(text: string): string[] {
  return [...text.matchAll(/^output (\w+) /gm)].map((m) => m[1]!);
}

describe('deployment kit', () => {
  describe('infra/ (Bicep)', () => {
    const main = read('infra/main.bicep');
    const files = [
      'infra/main.bicep',
      ...readdirSync(path.join(root, 'infra/modules')).map((f) => `infra/modules/${f}`),
    ];

    it('wires every module: the file exists, each parameter passed is declared, each one without default is passed', () => {
      const modules = bicepModules(main);
      assert.deepEqual(modules.map((m) => m.name).sort(), [
        'appService',
        'bot',
        'containerApp',
        'identity',
        'monitoring',
        'postgres',
      ]);
      for (const module of modules) {
        const file = path.join(root, 'infra', module.file);
        assert.ok(existsSync(file), `${module.name}: ${module.file} missing`);
        const declared = bicepParams(readFileSync(file, 'utf8'));
        const names = declared.map((p) => p.name);
        for (const name of module.passed)
          assert.ok(names.includes(name), `${module.name}: ${name} is not a parameter`);
        for (const param of declared)
          assert.ok(
            param.hasDefault || module.passed.includes(param.name),
            `${module.name}: required parameter ${param.name} not passed`,
          );
      }
    });

    it('declares every password and secret parameter @secure, and offers no MultiTenant bot', () => {
      for (const file of files) {
        const text = read(file);
        for (const param of bicepParams(text))
          if (/password|secret/i.test(param.name))
            assert.ok(param.secure, `${file}: ${param.name} is not @secure()`);
        assert.doesNotMatch(text, /MultiTenant/, `${file} mentions MultiTenant`);
      }
      assert.match(main, /@allowed\(\['SingleTenant', 'UserAssignedMSI'\]\)\nparam botAuthType/);
    });

    it('uses dated API versions and balanced braces and brackets in every file', () => {
      for (const file of files) {
        const text = read(file);
        for (const [, type] of text.matchAll(/^resource \w+ '([^']+)'/gm))
          assert.match(
            type!,
            /^Microsoft\.[A-Za-z]+\/[A-Za-z/]+@\d{4}-\d{2}-\d{2}(-preview)?$/,
            `${file}: ${type}`,
          );
        const code = text.replace(/^\s*\/\/.*$/gm, '').replace(/'(?:[^'\\]|\\.)*'/g, "''");
        for (const [open, close] of [
          ['{', '}'],
          ['[', ']'],
          ['(', ')'],
        ] as const)
          assert.equal(
            code.split(open).length,
            code.split(close).length,
            `${file}: unbalanced ${open}${close}`,
          );
      }
    });

    it('points the bot at the host it deploys, with /healthz as the health check', () => {
      assert.match(main, /endpoint: 'https:\/\/\$\{hostName\}\/api\/messages'/);
      assert.match(read('infra/modules/appService.bicep'), /healthCheckPath: '\/healthz'/);
      assert.match(read('infra/modules/containerApp.bicep'), /path: '\/healthz', port: 3978/);
    });

    it('main.parameters.json names only parameters of main.bicep', () => {
      const declared = bicepParams(main).map((p) => p.name);
      const parameters = JSON.parse(read('infra/main.parameters.json')) as {
        parameters: Record<string, unknown>;
      };
      for (const name of Object.keys(parameters.parameters))
        assert.ok(declared.includes(name), `main.parameters.json: ${name} is not a parameter of main.bicep`);
      for (const param of bicepParams(main))
        assert.ok(param.hasDefault || param.name in parameters.parameters, `${param.name} has no value`);
    });
  });

  describe('m365agents.yml (Microsoft 365 Agents Toolkit)', () => {
    const project = loadYaml(read('m365agents.yml')) as {
      version: string;
      environmentFolderPath: string;
      provision: { uses: string; with?: Record<string, unknown> }[];
      deploy: { uses: string; with?: Record<string, unknown> }[];
    };
    const envSample = read('env/.env.dev.sample');
    const envKeys = new Set([...envSample.matchAll(/^(\w+)=/gm)].map((m) => m[1]!));

    it('provisions the Teams app and infra/main.bicep, and zip-deploys the build', () => {
      assert.match(project.version, /^v1\.\d+$/);
      assert.equal(project.environmentFolderPath, './env');
      const steps = project.provision.map((s) => s.uses);
      assert.deepEqual(steps, ['teamsApp/create', 'arm/deploy', 'script', 'teamsApp/update']);
      const arm = project.provision[1]!.with as { templates: { path: string; parameters: string }[] };
      for (const template of arm.templates) {
        assert.ok(existsSync(path.join(root, template.path)), template.path);
        assert.ok(existsSync(path.join(root, template.parameters)), template.parameters);
      }
      assert.match(String(project.provision[2]!.with?.run), /npm run package/);
      assert.equal(project.provision[3]!.with?.appPackagePath, './manifest/build/ansvar.zip');
      assert.equal(project.deploy.at(-1)!.uses, 'azureAppService/zipDeploy');
      assert.ok(existsSync(path.join(root, '.webappignore')), '.webappignore missing');
    });

    it('documents in env/.env.dev.sample every variable it and the parameters file use, and every output it gets', () => {
      const used = [read('m365agents.yml'), read('infra/main.parameters.json')].flatMap((text) =>
        [...text.matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1]!),
      );
      for (const name of used) assert.ok(envKeys.has(name), `${name} is not in env/.env.dev.sample`);
      for (const output of bicepOutputs(read('infra/main.bicep')))
        assert.ok(envKeys.has(output), `output ${output} is not in env/.env.dev.sample`);
    });

    it('keeps the zip deploy to the built app: sources and tests out, dist and data in', () => {
      const ignored = read('.webappignore').split('\n');
      for (const entry of ['/bot', '/services', '/test', '.env']) assert.ok(ignored.includes(entry), entry);
      for (const entry of ['dist', '/dist', 'data', '/data', 'node_modules'])
        assert.ok(!ignored.includes(entry), `${entry} must be deployed`);
    });
  });

  describe('Dockerfile', () => {
    const dockerfile = read('Dockerfile');
    const stages = dockerfile.split(/^FROM /m).slice(1);

    it('builds in one stage and runs production dependencies only, as a non-root user, in another', () => {
      assert.equal(stages.length, 2);
      const [build, runtime] = stages as [string, string];
      assert.match(build, /RUN npm run build/);
      assert.match(runtime, /RUN npm ci --omit=dev/);
      assert.match(runtime, /COPY --from=build \/app\/dist dist/);
      assert.match(runtime, /^USER node$/m);
      assert.doesNotMatch(runtime, /^COPY (bot|services|cards|test) /m);
    });

    it('checks /healthz and starts the compiled server in exec form, so SIGTERM reaches Node', () => {
      assert.match(dockerfile, /^HEALTHCHECK [\s\S]*\/healthz/m);
      assert.match(dockerfile, /^CMD \["node", .*"dist\/bot\/server\.js"\]$/m);
      assert.match(dockerfile, /ENV NODE_ENV=production/);
    });

    it('keeps secrets, local data and dependencies out of the build context', () => {
      const ignored = read('.dockerignore').split('\n');
      for (const entry of ['node_modules', '.env', '.ansvar', '.git'])
        assert.ok(ignored.includes(entry), entry);
    });
  });
});
