// The Azure Bot registration with the Teams channel. Multi-tenant bots can no longer be created: SingleTenant (an
// app registration in this tenant) or UserAssignedMSI (the managed identity, no secret).
param name string
param displayName string
param endpoint string
@allowed(['SingleTenant', 'UserAssignedMSI'])
param appType string
param appId string
param tenantId string
@description('UserAssignedMSI only: the identity\'s resource id.')
param msiResourceId string = ''

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'F0' }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppId: appId
    msaAppType: appType
    msaAppTenantId: tenantId
    msaAppMSIResourceId: appType == 'UserAssignedMSI' ? msiResourceId : null
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

output name string = bot.name
