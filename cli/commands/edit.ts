import { defineKitcfgCommand } from "../command.ts";
export default defineKitcfgCommand("edit", "todo", {}, async () => 0);
