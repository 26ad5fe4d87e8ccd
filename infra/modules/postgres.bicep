// Azure Database for PostgreSQL flexible server with one database, `ansvar`, TLS required. Ansvar on PostgreSQL may
// run several instances.
param name string
param location string
@secure()
param adminPassword string
param adminUser string = 'ansvar'

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  sku: { name: 'Standard_B1ms', tier: 'Burstable' }
  properties: {
    version: '16'
    administratorLogin: adminUser
    administratorLoginPassword: adminPassword
    storage: { storageSizeGB: 32 }
    backup: { backupRetentionDays: 14, geoRedundantBackup: 'Disabled' }
    highAvailability: { mode: 'Disabled' }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: 'ansvar'
}

resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: server
  name: 'AllowAzureServices'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

#disable-next-line outputs-should-not-contain-secrets
output databaseUrl string = 'postgresql://${adminUser}:${uriComponent(adminPassword)}@${server.properties.fullyQualifiedDomainName}:5432/${database.name}?sslmode=require'
