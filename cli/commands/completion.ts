import { defineKitcfgCommand } from "../command.ts";
export default defineKitcfgCommand("completion", "todo", {}, async () => 0);
