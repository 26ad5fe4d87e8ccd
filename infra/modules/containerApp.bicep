// The bot as a container (the repository's Dockerfile) on Azure Container Apps, with /healthz as probes. Without
// PostgreSQL the data directory is the container's own disk and maxReplicas must stay 1.
param name string
param location string
param image string
param identityId string
param settings object
@secure()
param secretSettings object
@minValue(1)
param maxReplicas int = 1

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${name}-env'
  location: location
  properties: {}
}

var secretNames = [for item in items(secretSettings): { name: toLower(replace(item.key, '_', '-')), value: string(item.value) }]

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: { external: true, targetPort: 3978, transport: 'http', allowInsecure: false }
      secrets: secretNames
    }
    template: {
      containers: [
        {
          name: 'ansvar'
          image: image
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: concat(
            [for item in items(settings): { name: item.key, value: string(item.value) }],
            [for item in items(secretSettings): { name: item.key, secretRef: toLower(replace(item.key, '_', '-')) }],
            [{ name: 'AZURE_CLIENT_ID', value: reference(identityId, '2023-01-31').clientId }]
          )
          probes: [
            { type: 'Readiness', httpGet: { path: '/healthz', port: 3978 }, periodSeconds: 10 }
            { type: 'Liveness', httpGet: { path: '/healthz', port: 3978 }, periodSeconds: 30, failureThreshold: 5 }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: maxReplicas }
    }
  }
}

output hostName string = app.properties.configuration.ingress.fqdn
