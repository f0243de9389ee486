import { defineKitcfgCommand } from "../command.ts";
export default defineKitcfgCommand("schema", "todo", {}, async () => 0);
