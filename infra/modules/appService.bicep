// Linux App Service running the compiled bot on Node 22 (zip deploy of the build, see m365agents.yml). One instance:
// the embedded store keeps its data on the persistent /home share and allows one process per data directory.
param name string
param location string
param sku string
param identityId string
@description('App settings (not secret).')
param settings object
@description('App settings that are secrets (bot password, database URL).')
@secure()
param secretSettings object

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  kind: 'linux'
  sku: { name: sku, capacity: 1 }
  properties: { reserved: true }
}

var allSettings = union(settings, secretSettings, {
  WEBSITES_ENABLE_APP_SERVICE_STORAGE: 'true'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  AZURE_CLIENT_ID: reference(identityId, '2023-01-31').clientId
})

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      healthCheckPath: '/healthz'
      appCommandLine: 'node --disable-warning=DEP0111 --max-semi-space-size=8 --heap-growing-percent=50 dist/bot/server.js'
      appSettings: [for item in items(allSettings): { name: item.key, value: string(item.value) }]
    }
  }
}

output hostName string = site.properties.defaultHostName
output siteName string = site.name
output resourceId string = site.id
