using ReportsExport;

// Exports the seven Symtrain reports over a long range into CSV files:
//   dotnet run --project samples/ReportsExport [-- --from 2024-01-01 --to 2025-12-31 --out reports-export]
return await ExportApp.RunAsync(args);
