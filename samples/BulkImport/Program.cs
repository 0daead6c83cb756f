using BulkImport;

// Validates a user CSV locally (every problem, with row and column), uploads it and follows the import task:
//   dotnet run --project samples/BulkImport [-- users.csv] [--organization <id>] [--dry-run]
return await BulkImportApp.RunAsync(args);
