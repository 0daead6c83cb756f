namespace Senar.Client.Tests.TestSupport;

/// <summary>
/// The examples of Senar's own API documentation (support.senar.io), exactly as published in the project's seed copy
/// (whose email addresses were already obfuscated to "[email protected]" by the page scrape; kept as they are).
/// </summary>
internal static class SeedExamples
{
    public const string LoginRequest = """
        {
            "username": "[email protected]",
            "password": "*********"
        }
        """;

    public const string LoginResponse = """
        {
            "Token": "eedx..."
        }
        """;

    public const string UserAssignRequest = """
        {
          "email": "[email protected]",
          "firstName": "New",
          "lastName": "User",
          "password": "Password8",
          "organization": "NewOrg Inc.",
          "collectionId": 42
        }
        """;

    public const string UserAssignResponse = """
        {
          "succeed": true,
          "email": "[email protected]",
          "collectionId": 42,
          "isNewUser": true
        }
        """;

    public const string UsersResponse = """
        [{
            "id": "765fc7cf-312b-469d-8508-0e943a6447c7",
            "firstName": "Jon",
            "lastName": "Doe",
            "email": "[email protected]",
            "language": "en",
            "accountName": "ACME",
            "countryName": "USA",
            "creationDate": "2022-09-07T06:25:23.9014976",
            "profile": "Instructor"
        }]
        """;

    public const string ActivitiesResponse = """
        [{
            "id": 80119,
            "collectionId": 41,
            "userId": "b68bfbd8-8f26-427b-a3c9-2d4cec36648b",
            "traineeId": "b5e3bbbc-0c22-417a-8087-6554afe26400",
            "firstName": "Natalia",
            "lastName": "Brown",
            "company": "Daria",
            "trainingDate": "2021-03-09T17:37:11.186836",
            "scenarioId": "S01",
            "scenarioName": "Scenario 1",
            "totalPoints": 2900,
            "totalSec": 622,
            "totalTries": 1,
            "simulatorId": 18,
            "tilts": 0,
            "totalMaxPoints": 3400,
            "abandons": 1,
            "collectionTitle": "Rigging",
            "simulatorTitle": "Lifting Hardware and Sling Inspection",
            "userFirstName": "Jon",
            "userLastName": "Doe",
            "userEmail": "[email protected]",
            "userCostCenter": "East",
            "userAccountName": "ACME",
            "traineeEmail": "[email protected]",
            "traineeProfile": "Guest"
        }]
        """;

    public const string WebhookRegisterResponse = """
        {
            "id": "<webhook_id>"
        }
        """;
}
