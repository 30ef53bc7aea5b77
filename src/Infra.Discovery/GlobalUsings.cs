// The domain model's vocabulary, one namespace per concern (folders match namespaces):
// every layer speaks it, so it is imported once per project.
global using Infra.Model;
global using Infra.Model.Addressing;
global using Infra.Model.Cluster;
global using Infra.Model.Cni;
global using Infra.Model.Guide;
global using Infra.Model.LoadBalancers;
global using Infra.Model.Routing;
global using Infra.Model.Security;
global using Infra.Model.Subnets;
global using Infra.Model.Validation;
global using Infra.Model.Vpc;
