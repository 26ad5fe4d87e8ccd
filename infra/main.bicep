// Ansvar on Azure: an Azure Bot (single-tenant app registration or user-assigned managed identity) with the Teams
// channel, the bot on App Service (Linux, Node 22, data on the persistent /home share) or on Container Apps, and
// optionally Azure Database for PostgreSQL (needed for more than one instance) and Application Insights.
// Deploy: az deployment group create -g <rg> -f infra/main.bicep -p resourceBaseName=<name> (or `provision` in the
// Microsoft 365 Agents Toolkit, m365agents.yml, with infra/main.parameters.json).
targetScope = 'resourceGroup'

@description('Prefix of every resource name (letters and digits, 3-16).')
@minLength(3)
@maxLength(16)
param resourceBaseName string

param location string = resourceGroup().location

@description('How the bot proves its identity: a single-tenant app registration with a secret, or a user-assigned managed identity (no secret).')
@allowed(['SingleTenant', 'UserAssignedMSI'])
param botAuthType string = 'UserAssignedMSI'

@description('SingleTenant only: the app registration\'s client id.')
param botAppId string = ''

@description('SingleTenant only: the app registration\'s client secret.')
@secure()
param botAppPassword string = ''

@description('Entra tenant ids whose Teams users may use the bot (comma-separated).')
param allowedTenantIds string = tenant().tenantId

@description('Where the bot runs.')
@allowed(['appService', 'containerApps'])
param hosting string = 'appService'

@description('Container Apps only: the image, e.g. myregistry.azurecr.io/ansvar:1.0.0 (built from the Dockerfile).')
param containerImage string = ''

@description('App Service plan SKU (B1 is the smallest with always-on).')
param appServiceSku string = 'B1'

@description('Create Azure Database for PostgreSQL (flexible server) and point Ansvar at it.')
param withPostgres bool = false

@description('PostgreSQL administrator password (withPostgres only).')
@secure()
param postgresAdminPassword string = ''

@description('Create Application Insights (telemetry is still off until Ansvar is configured to export).')
param withMonitoring bool = true

@description('Microsoft Graph directory: the managed identity also reads users (grant it User.Read.All and MailboxSettings.Read).')
param graphDirectory bool = false

var useMsi = botAuthType == 'UserAssignedMSI'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${resourceBaseName}-id'
    location: location
  }
}

module monitoring 'modules/monitoring.bicep' = if (withMonitoring) {
  name: 'monitoring'
  params: {
    name: resourceBaseName
    location: location
  }
}

module postgres 'modules/postgres.bicep' = if (withPostgres) {
  name: 'postgres'
  params: {
    name: '${resourceBaseName}-pg'
    location: location
    adminPassword: postgresAdminPassword
  }
}

var appId = useMsi ? identity.outputs.clientId : botAppId

var settings = {
  MicrosoftAppId: appId
  MicrosoftAppType: botAuthType
  MicrosoftAppTenantId: tenant().tenantId
  ALLOWED_TENANT_IDS: empty(allowedTenantIds) ? tenant().tenantId : allowedTenantIds
  DIRECTORY: graphDirectory ? 'graph' : 'local'
  GRAPH_TENANT_ID: graphDirectory ? tenant().tenantId : ''
  GRAPH_CLIENT_ID: graphDirectory ? identity.outputs.clientId : ''
  GRAPH_MANAGED_IDENTITY: graphDirectory ? 'true' : 'false'
  ANSVAR_SAMPLE_ON_EMPTY: 'false'
  APPLICATIONINSIGHTS_CONNECTION_STRING: withMonitoring ? monitoring!.outputs.connectionString : ''
}

var secretSettings = union(
  useMsi ? {} : { MicrosoftAppPassword: botAppPassword },
  withPostgres ? { DATABASE_URL: postgres!.outputs.databaseUrl } : {}
)

module appService 'modules/appService.bicep' = if (hosting == 'appService') {
  name: 'appService'
  params: {
    name: resourceBaseName
    location: location
    sku: appServiceSku
    identityId: identity.outputs.id
    settings: union(settings, { ANSVAR_DATA_DIR: '/home/ansvar' })
    secretSettings: secretSettings
  }
}

module containerApp 'modules/containerApp.bicep' = if (hosting == 'containerApps') {
  name: 'containerApp'
  params: {
    name: resourceBaseName
    location: location
    image: containerImage
    identityId: identity.outputs.id
    settings: settings
    secretSettings: secretSettings
    // The embedded store allows one process per data directory; PostgreSQL allows several.
    maxReplicas: withPostgres ? 3 : 1
  }
}

var hostName = hosting == 'appService' ? appService!.outputs.hostName : containerApp!.outputs.hostName

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: resourceBaseName
    displayName: 'Ansvar'
    endpoint: 'https://${hostName}/api/messages'
    appType: botAuthType
    appId: appId
    tenantId: tenant().tenantId
    msiResourceId: useMsi ? identity.outputs.id : ''
  }
}

output BOT_ID string = appId
output BOT_DOMAIN string = hostName
output BOT_ENDPOINT string = 'https://${hostName}/api/messages'
output IDENTITY_CLIENT_ID string = identity.outputs.clientId
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = hosting == 'appService' ? appService!.outputs.resourceId : ''
