const string Bang = "!";
