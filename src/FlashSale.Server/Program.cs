using FlashSale.Server.Cli;

return await FlashSaleCommandLine.RunAsync(args);
