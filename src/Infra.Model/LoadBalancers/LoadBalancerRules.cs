namespace Infra.Model.LoadBalancers;

/// <summary>Load balancers: one uniquely named application per load balancer group.</summary>
public static class LoadBalancerRules
{
    public static void Validate(ClusterDesign design, List<ConfigProblem> problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var app in design.Applications)
        {
            if (Rule.CheckName(problems, app.At.Child("name"), app.Name, "an application") && !names.Add(app.Name))
            {
                Rule.Add(problems, app.At.Child("name"), app.Name, "application listed twice");
            }
        }
    }
}
