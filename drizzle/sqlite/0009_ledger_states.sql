CREATE TABLE `ledger_states` (
	`partner` text NOT NULL,
	`customer` text NOT NULL,
	`period` text NOT NULL,
	`stamp` text NOT NULL,
	`states` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`partner`, `customer`, `period`),
	FOREIGN KEY (`partner`,`customer`) REFERENCES `customers`(`partner`,`id`) ON UPDATE no action ON DELETE no action
);
